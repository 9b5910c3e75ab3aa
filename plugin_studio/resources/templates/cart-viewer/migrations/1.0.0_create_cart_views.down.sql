DROP TABLE IF EXISTS cart_viewer_views;
