"""Stand-in."""


def main() -> int:
    return 0
