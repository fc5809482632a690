"""Offers (帮扶项目): the supply side."""
