//! The Guest Profile (F-PROFILE) on both backends: saved with the settings and logged,
//! new organizations allowing Messaging only, and the policy asked through the service
//! (`may_use`) for the signed-in person — with its refusals.


use app::domain::invite::OrgSettings;
use app::domain::profile::{Feature, GuestProfile};
use app::domain::PersonState;
use app::error::AppError;
use app::service::directory;
use app::service::settings;

both_backends! {
    async fn a_new_organization_allows_messaging_only_and_a_saved_profile_is_kept_and_logged(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let view = settings::get(&t.state, &admin).await.unwrap();
        assert_eq!(view.settings.guest_profile, GuestProfile::NEW_ORGANIZATION);

        let mut changed: OrgSettings = view.settings.clone();
        changed.guest_profile.set(Feature::FileSharing, true);
        changed.guest_profile.set(Feature::Messaging, false);
        changed.guest_profile.set(Feature::ChannelCreation, true);
        settings::save(&t.state, &admin, &changed).await.unwrap();
        let again = settings::get(&t.state, &admin).await.unwrap().settings;
        assert_eq!(again, changed);
        for f in Feature::ALL {
            let on = matches!(f, Feature::FileSharing | Feature::ChannelCreation);
            assert_eq!(again.guest_profile.allows(f), on, "{f:?}");
        }
        let log = app::data::activity::entries(t.pool(), org.id, 0).await.unwrap();
        let last = log.last().expect("the change is logged");
        assert_eq!(last.actor_id, Some(org.admin));
        assert!(last.details.ends_with("guest profile: File sharing, Channel creation"), "{}", last.details);

        // Another organization keeps its own profile.
        let other = t.org("Bolt").await;
        let bolt_admin = t.viewer(other.admin).await;
        assert_eq!(settings::get(&t.state, &bolt_admin).await.unwrap().settings.guest_profile, GuestProfile::NEW_ORGANIZATION);
    }
}

both_backends! {
    async fn only_a_company_admin_changes_the_guest_profile(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let before = settings::get(&t.state, &admin).await.unwrap().settings;
        let mut wanted = before.clone();
        wanted.guest_profile.set(Feature::VideoCalls, true);
        let dana = t.viewer(t.dept_admin(&org, "dana@acme.test", org.child).await).await;
        let user = t.viewer(t.member(&org, "u@acme.test", org.root, false).await).await;
        let guest = t.viewer(t.guest(&org, "g@x.test", org.root, None).await).await;
        for v in [&dana, &user, &guest] {
            assert!(settings::save(&t.state, v, &wanted).await.is_err());
        }
        assert_eq!(settings::get(&t.state, &admin).await.unwrap().settings, before);
    }
}

both_backends! {
    async fn may_use_answers_for_the_signed_in_person_with_the_reason(t) {
        let org = t.org("Acme").await;
        let admin = t.viewer(org.admin).await;
        let member = t.member(&org, "mia@acme.test", org.root, false).await;
        let guest = t.guest(&org, "gail@x.test", org.root, None).await;
        let other_guest = t.guest(&org, "gus@x.test", org.child, None).await;
        let mia = t.viewer(member).await;
        let gail = t.viewer(guest).await;

        // Members with each other: always.
        let a = directory::may_use(&t.state, &mia, "video_calls", org.admin.0).await.unwrap();
        assert!(a.available);
        assert_eq!(a.reason, "Members may use Video calls with each other.");

        // Member and guest: as the profile says, from either side.
        for (v, with) in [(&mia, guest), (&gail, member)] {
            let chat = directory::may_use(&t.state, v, "messaging", with.0).await.unwrap();
            assert!(chat.available, "{chat:?}");
            let files = directory::may_use(&t.state, v, "file_sharing", with.0).await.unwrap();
            assert!(!files.available);
            assert_eq!(files.reason, "File sharing is not active for guests in this organization's Guest Profile.");
        }
        // Turning File sharing on takes effect at the next question.
        let mut s = settings::get(&t.state, &admin).await.unwrap().settings;
        s.guest_profile.set(Feature::FileSharing, true);
        settings::save(&t.state, &admin, &s).await.unwrap();
        assert!(directory::may_use(&t.state, &mia, "file_sharing", guest.0).await.unwrap().available);

        // A guest never learns that another guest exists: "not found", as for an unknown id.
        for with in [other_guest.0, 999_999] {
            let e = directory::may_use(&t.state, &gail, "messaging", with).await.unwrap_err();
            assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
        }
        // A member sees every guest of the organization.
        assert!(directory::may_use(&t.state, &mia, "messaging", other_guest.0).await.unwrap().available);

        // Oneself, and an unknown feature.
        let me = directory::may_use(&t.state, &gail, "messaging", guest.0).await.unwrap();
        assert!(!me.available);
        assert_eq!(me.reason, "This is you.");
        let e = directory::may_use(&t.state, &mia, "fax", guest.0).await.unwrap_err();
        assert!(matches!(e, AppError::Invalid(_)), "{e:?}");

        // Another organization's person is unknown, even to a Company Admin.
        let bolt = t.org("Bolt").await;
        let e = directory::may_use(&t.state, &admin, "messaging", bolt.admin.0).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    }
}

both_backends! {
    async fn removed_and_expired_people_cannot_be_reached(t) {
        let org = t.org("Acme").await;
        let mia = t.viewer(t.member(&org, "mia@acme.test", org.root, false).await).await;
        let past = t.now_ms() - 1;
        let expired = t.guest(&org, "late@x.test", org.root, Some(past)).await;
        let removed = t.member(&org, "gone@acme.test", org.root, false).await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        app::data::people::set_state(&mut tx, org.id, removed, PersonState::Removed, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();

        let a = directory::may_use(&t.state, &mia, "messaging", expired.0).await.unwrap();
        assert!(!a.available);
        assert_eq!(a.reason, "Guest late's guest access has expired.");
        let b = directory::may_use(&t.state, &mia, "messaging", removed.0).await.unwrap();
        assert!(!b.available);
        assert_eq!(b.reason, "Mem gone is no longer in this organization.");
    }
}
