-- The Guest Profile (F-PROFILE, issue 11): which features guests may use, one flag per
-- feature. A new organization allows Messaging only, and so do existing ones.
ALTER TABLE organizations ADD COLUMN guest_messaging INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN guest_file_sharing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN guest_audio_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN guest_video_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN guest_screen_sharing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN guest_channel_creation INTEGER NOT NULL DEFAULT 0;
