//! Lobby: the console in which an organization manages its guests.
//!
//! - [`domain`]: the rules, pure and shared by server and browser.
//! - [`model`]: the types the console and the server exchange.
//! - [`api`]: server functions, each a thin shell over the service layer.
//! - [`ui`]: pages and components.
//! - ssr only: [`service`] (the use cases), [`data`] (all SQL), [`jobs`] (background
//!   work), [`auth`] (sign-in and sessions), [`mail`], [`web`] (the router, session store
//!   and shared state), [`setup`] (organizations and demo data).

#![recursion_limit = "512"]

pub mod api;
pub mod domain;
pub mod error;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod web;

pub use ui::{shell, App};
