"""Built pages: reading and rewriting the HTML and CSS the generator wrote."""
