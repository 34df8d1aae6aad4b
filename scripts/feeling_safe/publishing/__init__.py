"""Publishing: the atomic build and what a deployed site serves beside its pages."""
