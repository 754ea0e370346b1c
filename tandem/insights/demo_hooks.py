"""Registers the insights demo loader (demo.py): pulses, outcomes and ROI inputs for
the programs the earlier apps' loaders made. The insights app comes last in
INSTALLED_APPS, so its loader runs after theirs and its cleanup first."""


def register() -> None:
    from tandem.insights import demo
    from tandem.people.demo import register_demo_loader

    register_demo_loader(demo.load_insights, cleanup=demo.delete_insights)
