"""The public "Customer Support on Twitter" data set (TWCS): one CSV row per tweet.

A conversation is a reply thread: `in_response_to_tweet_id` is followed up to the
first tweet whose parent is not in the file. The company account that answers
first is the thread's team; the sign-off at the end of a company tweet (`^JK`,
`-Becky`, `*SR`) names the agent within it, as the handle `sprintcare/JK`.
Company tweets without one belong to the company's shared `sprintcare/unsigned`.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from conversations.importers.base import ImportContext, ParsedConversation, ParseProblem, ParseResult
from conversations.ingest.scope import IngestScope
from conversations.models import ExternalIdentity, Sender
from teams.models import Membership, Role, Team, User
from teams.services import member_create, team_create

REQUIRED_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id")
CREATED_AT_FORMAT = "%a %b %d %H:%M:%S %z %Y"  # Tue Oct 31 22:10:47 +0000 2017
UNSIGNED = "unsigned"

# Twitter screen names and the anonymised customer numbers; safe inside handles and usernames.
AUTHOR_PATTERN = re.compile(r"[A-Za-z0-9_]{1,50}")
# pandas writes the reply column as floats ("3.0") because it has blanks.
TWEET_ID_PATTERN = re.compile(r"(\d{1,30})(?:\.0)?")
MENTION_PATTERN = re.compile(r"@(\w+)")
SIGN_OFF_PATTERN = re.compile(
    r"""
    (?:
        [\^*]                                 # ^JK, *SR: even glued on, as in "2/2^Corry"
      | (?<![\w:;=/])(?:--?|[–—]|=(?=\s))     # -Becky, - Matt, –XG, = JJ; the look-behind keeps :-P out
      | (?<![\w:;=/~])[/~]                    # /MT; the look-behind keeps URL paths and and/or out
    )
    (?:\s(?=[A-Z]))?                          # "- Matt", but not "- email"
    (?P<name>[A-Za-z]{1,20}(?:\.[A-Za-z]{1,3})*)
    [\s.]*
    (?:\(?\d/\d\)?[\s.]*)?                    # thread counter: 2/2, (1/2)
    (?:https?://\S+\s*)*                      # links Twitter appends after the text
    \Z
    """,
    re.VERBOSE,
)


def agent_sign_off(text: str) -> str | None:
    """The agent's sign-off at the end of a company tweet ("JK" for "... ^JK"), if it has one."""
    match = SIGN_OFF_PATTERN.search(text)
    return match["name"] if match else None


@dataclass(frozen=True)
class Tweet:
    tweet_id: str
    author_id: str
    from_company: bool
    sent_at: datetime
    text: str
    parent_id: str
    line: int

    @property
    def time_order(self) -> tuple[datetime, int]:
        return self.sent_at, int(self.tweet_id)


class RowProblem(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def parse_twcs(text: str, context: ImportContext) -> ParseResult:
    """Every thread of the file as a conversation in the native form; every other tweet as a problem."""
    result = ParseResult()
    tweets, unreadable_lines = _read_tweets(text, result)
    threads, broken = _group_threads(tweets, unreadable_lines)
    result.problems += [ParseProblem(tweets[tweet_id].line, "in_response_to_tweet_id", why) for tweet_id, why in broken]
    companies = {tweet.author_id for tweet in tweets.values() if tweet.from_company}
    for root_id, thread in threads.items():
        conversation = _conversation(tweets[root_id], thread, companies, context)
        if conversation is None:
            result.problems += [
                ParseProblem(
                    tweet.line,
                    "author_id",
                    "Only customers wrote in this thread and they mention no company account of this file.",
                )
                for tweet in thread
            ]
        else:
            result.conversations.append(conversation)
    result.conversations.sort(key=lambda conversation: conversation.line)
    result.problems.sort(key=lambda problem: problem.line)
    return result


@transaction.atomic
def prepare_twcs(parsed: ParseResult, context: ImportContext) -> IngestScope:
    """Create, once, a team per company account under context.team and a member per agent handle.

    Each member is recorded as an ExternalIdentity for its handle, so the next import of the
    same source maps the handle to the same person, even one an administrator re-assigned.
    """
    handles_by_company: dict[str, set[str]] = {}
    for conversation in parsed.conversations:
        handle = conversation.data["agent"]
        company = handle.partition("/")[0]
        handles_by_company.setdefault(company, {f"{company}/{UNSIGNED}"}).add(handle)
    all_handles = set().union(*handles_by_company.values())
    known_handles = set(
        ExternalIdentity.objects.filter(source=context.source, external_ref__in=all_handles).values_list(
            "external_ref", flat=True
        )
    )
    existing_teams = {team.name: team for team in context.team.children.filter(name__in=handles_by_company)}
    team_ids = {context.team.pk}
    for company, handles in sorted(handles_by_company.items()):
        team = existing_teams.get(company) or team_create(
            name=company, timezone=context.team.timezone, parent=context.team
        )
        team_ids.add(team.pk)
        for handle in sorted(handles - known_handles):
            _identity_create(handle=handle, team=team, source=context.source)
    writable = frozenset(team_ids)
    return IngestScope(writable_team_ids=writable, shop_team_ids=writable, default_team_id=None)


def _identity_create(*, handle: str, team: Team, source: str) -> None:
    company, _, sign_off = handle.partition("/")
    if sign_off == UNSIGNED:
        username, display_name = f"{company}.team".lower(), f"{company} team"
    else:
        username, display_name = f"{company}.{sign_off}".lower(), f"{sign_off} ({company})"
    # ^CR and ^cr on one account are one person, as their usernames cannot differ only in case.
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        user = member_create(username=username, team=team, display_name=display_name).user
    else:
        Membership.objects.get_or_create(user=user, team=team, defaults={"role": Role.AGENT})
    ExternalIdentity.objects.create(source=source, external_ref=handle, user=user, team=team)


@dataclass
class _Record:
    line: int
    fields: list[str]
    error: str = ""


def _records(text: str) -> Iterator[_Record]:
    """Every CSV record with the line it starts on, reading on past records csv cannot parse."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    # csv rejects a bare CR in an unquoted field (tweet 3399 holds "\r\r"). It is a line break
    # the author typed, so it is hidden from csv and comes back as "\n", like every other one.
    bare_cr = next(chr(code) for code in range(0xE000, 0xF900) if chr(code) not in text)
    reader = csv.reader(io.StringIO(text.replace("\r", bare_cr)))
    line = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield _Record(line, [], f"Not readable as CSV: {error}.")
        else:
            if fields:  # a blank line holds no tweet
                yield _Record(line, [field.replace(bare_cr, "\n") for field in fields])
        line = reader.line_num + 1


def _read_tweets(text: str, result: ParseResult) -> tuple[dict[str, Tweet], dict[str, int]]:
    """The readable tweets by id, and the line of every row whose id was read but nothing else."""
    records = _records(text)
    header = next(records, None)
    if header is None or header.error:
        result.problems.append(ParseProblem(1, "", header.error if header else "The file is empty."))
        return {}, {}
    columns = {name.strip(): index for index, name in enumerate(header.fields)}
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        result.problems.append(ParseProblem(1, ", ".join(missing), f"Missing column(s): {', '.join(missing)}."))
        return {}, {}

    tweets: dict[str, Tweet] = {}
    unreadable_lines: dict[str, int] = {}
    for record in records:
        result.rows_total += 1
        try:
            if record.error:
                raise RowProblem("", record.error)
            if len(record.fields) != len(header.fields):
                raise RowProblem("", f"Expected {len(header.fields)} fields, found {len(record.fields)}.")
            tweet = _tweet(record, columns)
            if tweet.tweet_id in tweets:
                raise RowProblem(
                    "tweet_id", f"Tweet {tweet.tweet_id} is already on line {tweets[tweet.tweet_id].line}."
                )
        except RowProblem as problem:
            result.problems.append(ParseProblem(record.line, problem.field, problem.message))
            # Replies to this row must not start threads of their own: the row, once fixed, is their root.
            if tweet_id := _tweet_id_if_readable(record, columns):
                unreadable_lines.setdefault(tweet_id, record.line)
        else:
            tweets[tweet.tweet_id] = tweet
    return tweets, unreadable_lines


def _tweet_id_if_readable(record: _Record, columns: dict[str, int]) -> str | None:
    position = columns["tweet_id"]
    match = TWEET_ID_PATTERN.fullmatch(record.fields[position].strip()) if position < len(record.fields) else None
    return match[1] if match else None


def _tweet(record: _Record, columns: dict[str, int]) -> Tweet:
    def value(name: str) -> str:
        return record.fields[columns[name]]

    tweet_id = TWEET_ID_PATTERN.fullmatch(value("tweet_id").strip())
    if tweet_id is None:
        raise RowProblem("tweet_id", f"Not a tweet id: {value('tweet_id')!r}.")
    parent_id = TWEET_ID_PATTERN.fullmatch(value("in_response_to_tweet_id").strip())
    if value("in_response_to_tweet_id").strip() and parent_id is None:
        raise RowProblem("in_response_to_tweet_id", f"Not a tweet id: {value('in_response_to_tweet_id')!r}.")
    author_id = value("author_id").strip()
    if not AUTHOR_PATTERN.fullmatch(author_id):
        raise RowProblem("author_id", f"Not a Twitter account or customer number: {author_id!r}.")
    inbound = value("inbound").strip().lower()
    if inbound not in ("true", "false"):
        raise RowProblem("inbound", f"Expected True or False, found {value('inbound')!r}.")
    try:
        sent_at = datetime.strptime(value("created_at").strip(), CREATED_AT_FORMAT)
    except ValueError:
        raise RowProblem(
            "created_at", f"Not a time like 'Tue Oct 31 22:10:47 +0000 2017': {value('created_at')!r}."
        ) from None
    return Tweet(
        tweet_id=tweet_id[1],
        author_id=author_id,
        from_company=inbound == "false",
        sent_at=sent_at,
        text=value("text"),
        parent_id=parent_id[1] if parent_id else "",
        line=record.line,
    )


def _group_threads(
    tweets: dict[str, Tweet], unreadable_lines: dict[str, int]
) -> tuple[dict[str, list[Tweet]], list[tuple[str, str]]]:
    """Tweets by the id of their thread's root, and the tweets whose chain cannot be followed, with why."""
    root_of: dict[str, str] = {}
    broken_because: dict[str, str] = {}
    for start in tweets:
        chain, seen, current = [], set(), start
        root, why = "", ""
        while current not in root_of and current not in broken_because:
            if current in seen:
                why = f"The reply chain through tweet {current} loops back on itself."
                break
            chain.append(current)
            seen.add(current)
            parent = tweets[current].parent_id
            if parent in tweets:
                current = parent
            elif parent in unreadable_lines:
                why = (
                    f"It is in the thread of tweet {parent}, whose row (line {unreadable_lines[parent]}) is unreadable."
                )
                break
            else:
                root = current
                break
        else:  # the chain reached a tweet already placed
            root, why = root_of.get(current, ""), broken_because.get(current, "")
        for tweet_id in chain:
            if why:
                broken_because[tweet_id] = why
            else:
                root_of[tweet_id] = root

    threads: dict[str, list[Tweet]] = {}
    for tweet_id, root in root_of.items():
        threads.setdefault(root, []).append(tweets[tweet_id])
    return threads, list(broken_because.items())


def _conversation(
    root: Tweet, thread: list[Tweet], companies: set[str], context: ImportContext
) -> ParsedConversation | None:
    thread = sorted(thread, key=lambda tweet: tweet.time_order)
    company = next((tweet.author_id for tweet in thread if tweet.from_company), None) or _company_written_to(
        thread, companies
    )
    if company is None:
        return None
    sign_off = next(
        (name for tweet in thread if tweet.author_id == company and (name := agent_sign_off(tweet.text))), UNSIGNED
    )
    data = {
        "source": context.source,
        "external_id": root.tweet_id,
        "channel": f"twitter:@{company}",
        "agent": f"{company}/{sign_off}",
        "customer": next((tweet.author_id for tweet in thread if not tweet.from_company), ""),
        "category": context.default_category,
        "started_at": thread[0].sent_at.isoformat(),
        "closed_at": thread[-1].sent_at.isoformat(),
        "resolved": False,
        "rating": None,
        "ordered": False,
        "messages": [
            {
                "sender": Sender.AGENT if tweet.from_company else Sender.CUSTOMER,
                "sent_at": tweet.sent_at.isoformat(),
                "text": tweet.text,
                "external_id": tweet.tweet_id,
            }
            for tweet in thread
        ],
    }
    return ParsedConversation(data=data, line=root.line, message_lines=[tweet.line for tweet in thread])


def _company_written_to(thread: list[Tweet], companies: set[str]) -> str | None:
    """For a thread only customers wrote: the first company account of this file that they mention."""
    for tweet in thread:
        for handle in MENTION_PATTERN.findall(tweet.text):
            if handle in companies:
                return handle
    return None
