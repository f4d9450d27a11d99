import sys

from conflicts.cli import main

sys.exit(main())
