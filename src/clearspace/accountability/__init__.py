"""Creator accountability, the pure part (issue 16): no service, store or interface imports.

* :mod:`.traffic`: which interactions are engagement an account drew, which of them are hostility
  toward a third person, and the toxic-traffic ratio;
* :mod:`.eligibility`: the four monetization rules as marks with an expiry, and the answer built
  from them;
* :mod:`.masking`: personal information and account names masked out of a typical-case text;
* :mod:`.community`: the simulated creator community of ``clearspace simulate --creators``.

About abuse, instigation and rumors only, never opinions: no rule reads a topic, and replies
aimed at the creator (disagreement, even rude) never count against the creator.
"""
