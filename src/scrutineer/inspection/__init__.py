"""Ofsted's inspection of local authority children's services: the Annex A lists."""
