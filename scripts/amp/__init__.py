"""Адресная методическая помощь: data model, validation and page generation for the site."""
