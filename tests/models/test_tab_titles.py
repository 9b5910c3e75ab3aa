from plugin_studio.models.tab_titles import TabFile, tab_titles


def test_unique_names_are_just_the_file_name():
    assert tab_titles([TabFile("Cart Viewer", "events/cart_viewed.js"), TabFile("Cart Viewer", "hooks/p.js")]) == \
        ["cart_viewed.js", "p.js"]


def test_the_same_file_name_in_two_plugins_shows_the_plugin():
    files = [TabFile("Cart Viewer", "events/cart_viewed.js"), TabFile("Loyalty", "events/cart_viewed.js"),
             TabFile("Loyalty", "README.md")]
    assert tab_titles(files) == ["cart_viewed.js — Cart Viewer", "cart_viewed.js — Loyalty", "README.md"]


def test_the_same_name_in_two_folders_of_one_plugin_shows_the_folder():
    files = [TabFile("A", "events/x.js"), TabFile("A", "hooks/x.js"), TabFile("B", "events/x.js")]
    assert tab_titles(files) == ["x.js — A · events", "x.js — A · hooks", "x.js — B"]
