-- Lets the service find its own unfinished work (for example jobs left "deleting" by a restart)
-- without scanning every account's resources.
CREATE INDEX resources_by_kind_state ON resources (kind, state);
