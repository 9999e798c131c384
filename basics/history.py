"""Historical records (django-simple-history) as the admin's history pages show them."""


def blank_change_reason(sender, history_instance, **kwargs) -> None:
    """A change made without a stated reason stores an empty reason, not None: the history page
    prints the reason as it is, and None would read as the English word "None"."""
    if history_instance.history_change_reason is None:
        history_instance.history_change_reason = ""
