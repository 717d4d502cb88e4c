"""What an upload carries besides its bytes: a title, what it shows, and whom it is for."""

from typing import Annotated

from pydantic import Field, StringConstraints

from app.bounds import Input

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Shows = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class AttachmentIn(Input):
    title: Title = Field(examples=["Jade's drawing of her family"])
    description: Shows = Field(examples=["Jade, her mum and Ruby holding hands outside a house"])
    for_family: bool = False
    for_child: bool = False
