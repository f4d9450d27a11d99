"""Parts of the facilitator console (``conflicts/ui/pages/facilitate.py`` lays them out).

``actions`` runs facilitator actions with the session's grant, ``settings`` the voting settings,
``agenda`` the agenda editor, ``proposals`` the participants' proposals, ``signin`` keeps the
facilitator signed in per workshop (a signed httpOnly cookie).
"""
