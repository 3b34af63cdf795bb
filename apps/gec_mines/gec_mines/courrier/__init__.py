"""What a user does to one courrier beyond its workflow: assign it, forward it, comment on it, put it
in the trash. The Courrier controller's whitelisted methods delegate here, one line each."""
