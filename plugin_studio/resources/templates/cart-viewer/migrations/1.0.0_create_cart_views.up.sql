CREATE TABLE IF NOT EXISTS cart_viewer_views (
    id BIGSERIAL PRIMARY KEY,
    session_id TEXT NOT NULL,
    item_count INTEGER NOT NULL DEFAULT 0,
    viewed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS cart_viewer_views_session_idx ON cart_viewer_views (session_id);
