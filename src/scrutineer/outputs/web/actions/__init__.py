"""What users post, one action each: a plain function of the `Posting` (the form, who sent
it, the site) run in the threadpool once the form's CSRF token and permission have been
checked (`posting.py`). `routes.py` names each form's path, permission and action."""
