"""Cyber-violence protection: pile-on incidents, one-click protection, nudges, evidence.

Pure logic only: time comes from the caller (event ``ts`` or an injected clock), randomness
from an explicit seed, and nothing here touches a database or the network.

::

    events.py     event model: parse_event, parse_ts, hostility
    detector.py   PileOnDetector: per-target sliding windows against the target's baseline
    incidents.py  Incident and participant roles (instigator, first poster, repeat, follower)
    replay.py     run the detector over JSON Lines, bad lines reported per line
    simulate.py   synthetic community stream with labelled pile-ons and hard negatives
    shield.py     one-click protection (一键防护): Shield, check -> deliver / hold / drop
    nudge.py      pre-send nudges and risk prompts with configurable support links
    evidence.py   hash-sealed, Ed25519-signed evidence bundles (一键取证) and verification
"""
