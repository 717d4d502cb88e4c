"""One Settings object, read from the environment, with defaults that run out of the box."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused in production below


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ICS_", extra="ignore")

    env: str = "development"
    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'var' / 'ics.sqlite3'}",
        validation_alias=AliasChoices("DATABASE_URL", "ICS_DATABASE_URL"),
    )
    # A read replica of the primary (PostgreSQL streaming replication), for read-only search;
    # unset, search reads the primary like everything else.
    database_replica_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_REPLICA_URL", "ICS_DATABASE_REPLICA_URL"),
    )
    secret_key: str = DEFAULT_SECRET
    exemplars_dir: Path = ROOT / "exemplars"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    cookie_secure: bool = False  # always true in production, whatever the environment says
    council_name: str = "Riverside Borough Council"  # the header of every page; court applicant
    # The council's logo, a file under app/static (e.g. "img/council-logo.svg"), beside its name.
    council_logo: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_\-/]+\.(svg|png)$")
    # Where a family may reply online (the council's own contact page); each copy prints it with
    # its reference, so the reply reaches the worker. ".example": the demo council has no site.
    reply_url: str = Field(
        default="https://riverside-council.example/children/reply", max_length=200
    )
    # Print worker processes per app process (printing off the request); 0: none here, prints are
    # made by `ics print-worker` running elsewhere.
    print_workers: int = Field(default=1, ge=0, le=32)
    # The council's DfE local authority number: the LEA of every statutory return's header (and
    # characters 2-4 of the UPNs its schools issue). 873 is the demo's; set ICS_LA_CODE.
    la_code: str = Field(default="873", pattern=r"^\d{3}$")
    # How a family reaches the council, printed on page 1 of every family copy: the office
    # when a worker's profile has none, and the route to disagree or complain.
    council_phone: str = "01632 960000"
    council_address: str = "Riverside Civic Centre, River Street, Riverside RV1 1AA"
    council_complaints_phone: str = "01632 960123"
    council_complaints_email: str = "complaints@riverside-council.example"
    council_complaints_address: str = (
        "Complaints Team, Riverside Civic Centre, River Street, Riverside RV1 1AA"
    )
    council_complaints_web: str = "riverside-council.example/complaints"
    fast_password_hash: bool = False  # the test suite only: a cheap argon2, refused in production
    host: str = "127.0.0.1"
    port: int = 8000
    # Refused with 413 before sign-in is checked; a long narrative is about 100 KB.
    max_body_bytes: int = 2_000_000
    # A drawing, letter or photo may be larger, on the upload routes only (app/attachments).
    max_attachment_bytes: int = 10_000_000

    @property
    def production(self) -> bool:
        return self.env == "production"

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if self.production and self.secret_key == DEFAULT_SECRET:
            raise ValueError("ICS_SECRET_KEY must be set when ICS_ENV=production")
        if self.production and self.fast_password_hash:
            raise ValueError("ICS_FAST_PASSWORD_HASH is for the test suite, never production")
        return self

    @model_validator(mode="after")
    def _secure_cookies_in_production(self) -> "Settings":
        # Decided here once, so every place that sets a cookie (and reads cookie_secure) agrees:
        # a production cookie never travels over plain HTTP, whatever ICS_COOKIE_SECURE says.
        if self.production:
            self.cookie_secure = True
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
