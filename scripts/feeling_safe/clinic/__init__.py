"""A clinic file: its checks, what it brands, its logo and pictures, and `make clinic`."""
