"""`make bench` and its instruments: measuring what a reader gets, never imported by a build."""
