import sys

from governance_app.cli import main

sys.exit(main())
