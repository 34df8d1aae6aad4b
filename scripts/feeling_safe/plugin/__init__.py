"""The generator plugin: its options, the build's facts, and the sequence of its events."""
