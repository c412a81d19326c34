//! The directory as a person sees it (F-CONTACTS) and View as (F-VIEWAS): what the
//! Contacts page and a contact card show.

use crate::domain::paging::Page;
use crate::domain::profile::Availability;
use crate::domain::PersonKind;
use serde::{Deserialize, Serialize};

/// One person in a directory list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub kind: PersonKind,
    /// Their department ("Guests" for a guest).
    pub department: String,
    /// The avatar's URL, when they have one.
    pub avatar: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentEntry {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    /// Live members (never guests).
    pub members: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupEntry {
    pub id: i64,
    pub name: String,
    pub is_all: bool,
    /// Live members (never guests).
    pub members: i64,
}

/// Whose eyes the directory is seen through when an admin uses View as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewedAs {
    pub id: i64,
    pub name: String,
    pub kind: PersonKind,
}

/// The Contacts page: departments (with their member counts), the groups the person
/// belongs to (and All when shown to them), and a page of people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub viewed_as: Option<ViewedAs>,
    pub departments: Vec<DepartmentEntry>,
    pub groups: Vec<GroupEntry>,
    pub people: Page<Contact>,
}

/// A contact card: who they are and what is available between the viewer and them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCard {
    pub contact: Contact,
    pub features: Vec<Availability>,
}
