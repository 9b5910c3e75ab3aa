"""Operations on a connection composed of ``db`` queries and ``models`` rules (open and save a
document, create a file, clone a template, plan, import and export a package).

``db`` may not import ``models`` and ``models`` imports no psycopg; the work that needs both lives
here, called from the UI's jobs and from the command line. No Qt.
"""
