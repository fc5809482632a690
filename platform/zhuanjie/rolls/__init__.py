"""Departments' rolls (台帐): imports, 台帐比对 and the long-term 公示."""
