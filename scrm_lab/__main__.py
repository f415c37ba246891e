"""``python -m scrm_lab`` runs the ``scrm-lab`` command."""

from scrm_lab.cli import main

if __name__ == "__main__":
    main()
