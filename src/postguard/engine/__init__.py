"""Rules over posts: pack loading, matching, and the run over a post."""
