"""Hand-edited data files, read and checked against their JSON Schemas, one line per problem."""
