"""The service's domain facades (issue 14 point 18); :class:`clearspace.service.core.Service` holds one of each.

Each is a small class over the shared :class:`clearspace.service.context.ServiceContext`; the rules live in
the domain modules of :mod:`clearspace.service` that the facades call.
"""
