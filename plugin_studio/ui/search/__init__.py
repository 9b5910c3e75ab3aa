"""The Search view: search and replace across the code of every plugin (``panel.SearchPanel``)."""
