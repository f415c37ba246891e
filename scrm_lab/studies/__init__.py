"""Code that serves one named study, kept apart from the general analysis packages.

- :mod:`scrm_lab.studies.engagement_revenue`: the data of the flagship question, "does social
  engagement go with revenue?" (the movies, the stocknet panel, simulated brands with known
  truth, or a user's file), and the study's verdict;
- :mod:`scrm_lab.studies.engagementdb_2009`: the 2009 ENGAGEMENTdb study reproduced step by
  step (rubric, scores, profiles under both rules, industries, the published +18% / -6%)
  and the critique it never ran (sector and size, with intervals);
- :mod:`scrm_lab.studies.moro_2016`: the headline of Moro, Rita & Vala (2016) checked on the
  public ``facebook_metrics`` posts.

Examples
--------
>>> from scrm_lab.studies import moro_2016
>>> sorted(moro_2016.MORO_INPUTS)[:2]
['category', 'content_type']
"""
