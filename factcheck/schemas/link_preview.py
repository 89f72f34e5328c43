"""Schemas for a source link's preview (the claim panel fills a source's
title and publisher from the page its URL leads to)."""

from marshmallow import Schema, fields

from annotations.urls import MAX_URL_LENGTH

from .base import StrictSchema


class LinkPreviewArgs(StrictSchema):
    url = fields.String(required=True, metadata={
        "description": f"the http(s) URL of the source, at most {MAX_URL_LENGTH} characters"})


class LinkPreviewOut(Schema):
    url = fields.String(metadata={"description": "the URL as asked for"})
    final_url = fields.String(metadata={"description": "where the page was found, after redirects"})
    title = fields.String(metadata={"description": "the page's title; empty when it names none"})
    publisher = fields.String(metadata={
        "description": "the site's name (og:site_name and the like, else its host name)"})
