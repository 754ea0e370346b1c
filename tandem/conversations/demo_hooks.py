"""Registers the conversations demo loader (demo.py)."""


def register() -> None:
    from tandem.conversations import demo
    from tandem.people.demo import register_demo_loader

    register_demo_loader(demo.load, cleanup=demo.delete_conversations)
