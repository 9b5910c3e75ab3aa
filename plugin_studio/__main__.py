import sys

from plugin_studio.cli import main

sys.exit(main())
