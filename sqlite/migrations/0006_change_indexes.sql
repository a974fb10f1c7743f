-- The similarity index of a workspace is rebuilt when its feedback, features
-- or epics change; these indexes make that check (count and latest
-- updated_at) an index lookup instead of a scan of the workspace's rows.
CREATE INDEX feedback_changed ON feedback (workspace_id, updated_at);
CREATE INDEX items_kind_changed ON items (workspace_id, kind, updated_at);
