"""Request and response models of the knowledge API (KB-1)."""

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import PatchSchema, StrictSchema

Title = Annotated[str, Field(max_length=200)]
Body = Annotated[str, Field(max_length=20000)]
Keywords = Annotated[str, Field(max_length=300)]
Code = Annotated[str, Field(max_length=50)]


class Ref(Schema):
    id: int
    name: str


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    parent: str | None = Field(None, description="the parent category's code")
    unit: Ref
    case_kinds: list[str] = Field(description="case-kind codes this category relates to")

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit.pk, "name": obj.unit.name}


class ArticleOut(Schema):
    id: int
    title: str
    category: str = Field(description="category code")
    category_name: str
    keywords: list[str]
    state: str = Field(description="draft / published / archived")
    unit: Ref
    author: Ref
    published_at: datetime | None
    updated_at: datetime
    version: int
    url: str

    @staticmethod
    def resolve_category(obj):
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj):
        return obj.category.name

    @staticmethod
    def resolve_keywords(obj):
        return obj.keyword_list()

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit.pk, "name": obj.unit.name}

    @staticmethod
    def resolve_author(obj):
        return {"id": obj.author.pk, "name": obj.author.name}

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class UseOut(Schema):
    record: str = Field(description="app_label.model of the record the article was used in")
    object_id: str
    url: str
    used_by: str | None
    used_at: datetime


class ArticleDetail(ArticleOut):
    body: str
    uses: list[UseOut] = []

    @staticmethod
    def resolve_uses(obj):
        return getattr(obj, "use_rows", [])


class SuggestionOut(ArticleOut):
    score: int = Field(description="relevance: text hits (title/keywords above body) + kind/category bonus")


class ArticleIn(StrictSchema):
    title: Title
    body: Body
    category: Code = Field(description="category code")
    keywords: Keywords = ""
    unit_id: int | None = Field(None, description="default: the widest unit where you hold kb.edit")


class ArticlePatch(PatchSchema):
    title: Title = None
    body: Body = None
    category: Code = None
    keywords: Keywords = None
