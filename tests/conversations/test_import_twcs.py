import csv
import io
from pathlib import Path

import pytest
from django.conf import settings

from conversations.importers.base import ImportContext, ParseProblem
from conversations.importers.twcs import agent_sign_off, parse_twcs, prepare_twcs
from conversations.ingest import conversations_ingest
from conversations.models import Conversation, ExternalIdentity, Message
from teams.models import Membership, Role, Team, User

HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
DATASETS = Path(settings.BASE_DIR).parent / "shared" / "datasets"


def twcs_file(*rows: str, newline: str = "\n") -> str:
    return newline.join([HEADER, *rows]) + newline


def parse(text: str, team: Team | None = None):
    return parse_twcs(text, ImportContext(source="twcs", team=team or Team(name="Twitter support", timezone="UTC")))


def only(parsed):
    assert parsed.problems == []
    [conversation] = parsed.conversations
    return conversation


def test_a_thread_is_rebuilt_from_its_replies_whatever_the_row_order():
    parsed = parse(
        twcs_file(
            "3,sprintcare,False,Tue Oct 31 22:12:00 +0000 2017,@115712 Sorry to hear that. Please DM us. ^JK,4,2",
            "4,115712,True,Tue Oct 31 22:15:00 +0000 2017,@sprintcare done,,3",
            "1,115712,True,Tue Oct 31 22:00:00 +0000 2017,@sprintcare my phone has no signal,2,",
            "2,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 Which city are you in?,3,1",
        )
    )

    conversation = only(parsed)
    assert parsed.rows_total == 4
    assert conversation.line == 4
    assert conversation.message_lines == [4, 5, 2, 3]
    data = conversation.data
    assert {key: value for key, value in data.items() if key != "messages"} == {
        "source": "twcs",
        "external_id": "1",
        "channel": "twitter:@sprintcare",
        "agent": "sprintcare/JK",  # the first company tweet that is signed, not the first company tweet
        "customer": "115712",
        "category": "after_sales",
        "started_at": "2017-10-31T22:00:00+00:00",
        "closed_at": "2017-10-31T22:15:00+00:00",
        "resolved": False,
        "rating": None,
        "ordered": False,
    }
    assert [(m["external_id"], m["sender"]) for m in data["messages"]] == [
        ("1", "customer"),
        ("2", "agent"),
        ("3", "agent"),
        ("4", "customer"),
    ]
    assert data["messages"][2]["text"] == "@115712 Sorry to hear that. Please DM us. ^JK"


def test_separate_threads_become_separate_conversations_and_same_second_tweets_sort_by_id():
    parsed = parse(
        twcs_file(
            "21,115713,True,Tue Oct 31 10:00:00 +0000 2017,@Delta lost bag,,",
            "12,Delta,False,Tue Oct 31 09:00:00 +0000 2017,@115712 On it *TMT,,11",
            "11,115712,True,Tue Oct 31 09:00:00 +0000 2017,@Delta late flight,12,",
            "22,Delta,False,Tue Oct 31 10:30:00 +0000 2017,@115713 Sorry!,,21",
        )
    )

    assert [c.data["external_id"] for c in parsed.conversations] == ["21", "11"]
    assert [m["external_id"] for m in parsed.conversations[1].data["messages"]] == ["11", "12"]
    assert [c.data["agent"] for c in parsed.conversations] == ["Delta/unsigned", "Delta/TMT"]


@pytest.mark.parametrize(
    ("text", "sign_off"),
    [
        ("@115712 Please DM us. ^JK", "JK"),
        ("@115713 Have you tried another device, Miriam ^MM", "MM"),
        ("@115714 We can help! -Becky", "Becky"),
        ("@115715 Let us know. -AA", "AA"),
        ("@115716 Happy to help.  *SR", "SR"),
        ("@115717 Sorry about that. Thanks - Mike 2/2", "Mike"),
        ("@115718 Keep us posted /MU", "MU"),
        ("@115719 Tell us what is going on. –XG", "XG"),
        ("@115720 Thank you. ^TV https://t.co/c9WoAfwenP", "TV"),
        ("@115721 Sorry for the wait for compensation. 2/2^Corry", "Corry"),
        ("@115722 Thank you. ^Osebi.", "Osebi"),
        ("@115723 How can we help?\n^HSB", "HSB"),
        ("@115724 Please DM your trip details.  *TLT... 1/2", "TLT"),
        ("@115725 Lets take a look. = JJ https://t.co/ovAKPbiuQa", "JJ"),
        ("@115726 Let us know if we can help. ^cr", "cr"),
        ("@115727 See https://t.co/GDrqU22YpT", None),
        ("@115728 Thanks for sharing :-P", None),
        ("@115729 Glad to help :-)", None),
        ("@115730 See you soon ^_^", None),
        ("@115731 Try again =D", None),
        ("@115732 You will be notified with a heads-up 1/3", None),
        ("@115733 It works for calls and/or", None),
        ("@115734 Open Settings - email", None),
        ("@115735 We have a lot of interest in the Durham-area.", None),
        ("@115736 We're on it!", None),
    ],
)
def test_agent_sign_off(text, sign_off):
    assert agent_sign_off(text) == sign_off


def test_a_company_that_never_signs_gets_its_shared_unsigned_handle():
    parsed = parse(
        twcs_file(
            "1,115712,True,Tue Oct 31 22:00:00 +0000 2017,@AppleSupport my screen flickers,2,",
            "2,AppleSupport,False,Tue Oct 31 22:05:00 +0000 2017,@115712 Which iOS version? https://t.co/GDrqU22YpT,,1",
        )
    )

    assert only(parsed).data["agent"] == "AppleSupport/unsigned"


def test_crlf_line_endings_and_line_breaks_inside_a_quoted_text():
    parsed = parse(
        twcs_file(
            '1,115712,True,Tue Oct 31 22:00:00 +0000 2017,"@sprintcare line one\r\nline two",2,',
            "2,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 Hi ^JK,,1",
            newline="\r\n",
        )
    )

    conversation = only(parsed)
    assert conversation.message_lines == [2, 4]
    assert [m["text"] for m in conversation.data["messages"]] == ["@sprintcare line one\nline two", "@115712 Hi ^JK"]
    assert conversation.data["agent"] == "sprintcare/JK"


def test_a_bare_carriage_return_in_an_unquoted_text_becomes_a_line_break():
    parsed = parse(
        twcs_file(
            "3398,AskPayPal,False,Tue Oct 31 22:41:28 +0000 2017,@116510 Please DM me. ^GA,,3399.0",
            "3399,116510,True,Tue Oct 31 18:13:06 +0000 2017,@AskPayPal \r\rI just love the start of email,3398,",
            "3400,116511,True,Tue Oct 31 23:00:00 +0000 2017,@AskPayPal hello,,",
        )
    )

    assert parsed.problems == []
    assert parsed.rows_total == 3
    first, second = parsed.conversations
    assert first.message_lines == [3, 2]
    assert first.data["messages"][0]["text"] == "@AskPayPal \n\nI just love the start of email"
    assert second.line == 4


def test_a_tweet_whose_parent_is_not_in_the_file_starts_its_own_thread():
    parsed = parse(
        twcs_file(
            "10,115712,True,Tue Oct 31 22:00:00 +0000 2017,@sprintcare thanks but no,11,9",
            "11,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 OK -AA,,10",
        )
    )

    conversation = only(parsed)
    assert conversation.data["external_id"] == "10"
    assert conversation.data["agent"] == "sprintcare/AA"


def test_a_row_with_the_wrong_number_of_fields_is_reported_with_its_line_and_so_are_replies_to_it():
    parsed = parse(
        twcs_file(
            "1,115712,True,Tue Oct 31 22:00:00 +0000 2017,@sprintcare hi,2,",
            "2,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 hello, how can we help? ^JK,3,1",
            "3,115712,True,Tue Oct 31 22:10:00 +0000 2017,@sprintcare my bill,4,2",
            "4,sprintcare,False,Tue Oct 31 22:15:00 +0000 2017,@115712 Please DM us -KC,,3",
            "5,115713,True,Tue Oct 31 22:20:00 +0000 2017,@sprintcare unrelated,,",
        )
    )

    assert parsed.rows_total == 5
    assert parsed.problems == [
        ParseProblem(3, "", "Expected 7 fields, found 8."),
        ParseProblem(4, "in_response_to_tweet_id", "It is in the thread of tweet 2, whose row (line 3) is unreadable."),
        ParseProblem(5, "in_response_to_tweet_id", "It is in the thread of tweet 2, whose row (line 3) is unreadable."),
    ]
    assert [(c.data["external_id"], c.message_lines) for c in parsed.conversations] == [("1", [2]), ("5", [6])]


def test_a_reply_chain_that_loops_is_reported_rather_than_followed_forever():
    parsed = parse(
        twcs_file(
            "1,115712,True,Tue Oct 31 22:00:00 +0000 2017,@sprintcare hi,2,2",
            "2,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 hello ^JK,1,1",
        )
    )

    assert parsed.conversations == []
    assert [(problem.line, problem.field) for problem in parsed.problems] == [
        (2, "in_response_to_tweet_id"),
        (3, "in_response_to_tweet_id"),
    ]


def test_unreadable_values_are_reported_by_line_and_field():
    parsed = parse(
        twcs_file(
            "1,115712,maybe,Tue Oct 31 22:00:00 +0000 2017,@sprintcare hi,,",
            "2,115712,True,31/10/2017 22:00,@sprintcare hi,,",
            "x3,115712,True,Tue Oct 31 22:00:00 +0000 2017,@sprintcare hi,,",
            "4,bad author,True,Tue Oct 31 22:00:00 +0000 2017,@sprintcare hi,,",
            "5,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 hi ^JK,,",
            "5,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 hi ^JK,,",
        )
    )

    assert [(problem.line, problem.field) for problem in parsed.problems] == [
        (2, "inbound"),
        (3, "created_at"),
        (4, "tweet_id"),
        (5, "author_id"),
        (7, "tweet_id"),
    ]
    assert parsed.problems[-1].message == "Tweet 5 is already on line 6."
    assert [c.data["external_id"] for c in parsed.conversations] == ["5"]


def test_a_file_without_the_columns_is_reported_on_line_one():
    parsed = parse("id,user,text\n1,115712,hello\n")

    assert parsed.problems == [
        ParseProblem(
            1,
            "tweet_id, author_id, inbound, created_at, in_response_to_tweet_id",
            "Missing column(s): tweet_id, author_id, inbound, created_at, in_response_to_tweet_id.",
        )
    ]
    assert parsed.conversations == []


def test_a_thread_only_the_company_wrote_is_a_conversation_without_customer():
    parsed = parse(
        twcs_file(
            "1620,AzureSupport,False,Tue Oct 31 20:00:00 +0000 2017,@116051 Are these the steps you followed? ^TW,,1621",
            "1621,AzureSupport,False,Tue Oct 31 19:00:00 +0000 2017,@116051 Sorry to hear that,1620,1622",
        )
    )

    conversation = only(parsed)
    assert conversation.data["external_id"] == "1621"
    assert conversation.data["customer"] == ""
    assert conversation.data["agent"] == "AzureSupport/TW"
    assert {m["sender"] for m in conversation.data["messages"]} == {"agent"}


def test_a_thread_only_customers_wrote_goes_to_the_company_account_it_mentions():
    parsed = parse(
        twcs_file(
            "119237,105834,True,Wed Oct 11 06:55:44 +0000 2017,@AppleSupport the keyboard hides the reply,119236,",
            "119300,105900,True,Wed Oct 11 07:00:00 +0000 2017,@AppleSupport battery?,119301,",
            "119301,AppleSupport,False,Wed Oct 11 07:05:00 +0000 2017,@105900 Let us help.,,119300",
        )
    )

    assert parsed.problems == []
    customer_only = parsed.conversations[0]
    assert customer_only.data["external_id"] == "119237"
    assert customer_only.data["channel"] == "twitter:@AppleSupport"
    assert customer_only.data["agent"] == "AppleSupport/unsigned"


def test_a_thread_only_customers_wrote_to_no_known_company_is_reported_tweet_by_tweet():
    parsed = parse(
        twcs_file(
            "1,115712,True,Tue Oct 31 22:00:00 +0000 2017,@SomeShop where is my parcel,2,",
            "2,115712,True,Tue Oct 31 22:30:00 +0000 2017,@SomeShop hello??,,1",
        )
    )

    assert parsed.conversations == []
    assert [(problem.line, problem.field) for problem in parsed.problems] == [(2, "author_id"), (3, "author_id")]


def test_columns_are_found_by_name_in_a_pandas_file_with_an_index_column():
    parsed = parse(
        ",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "0,1,sprintcare,False,Tue Oct 31 22:10:47 +0000 2017,@115712 I understand. -KC,2,3.0\n"
        "1,3,115712,True,Tue Oct 31 22:08:27 +0000 2017,@sprintcare nobody answers,1,\n"
    )

    conversation = only(parsed)
    assert conversation.data["external_id"] == "3"
    assert [m["external_id"] for m in conversation.data["messages"]] == ["3", "1"]


SMALL_FILE = twcs_file(
    "1,115712,True,Tue Oct 31 22:00:00 +0000 2017,@sprintcare no signal,2,",
    "2,sprintcare,False,Tue Oct 31 22:05:00 +0000 2017,@115712 Which city? ^JK,3,1",
    "3,115712,True,Tue Oct 31 22:10:00 +0000 2017,@sprintcare Leeds,,2",
    "4,115713,True,Tue Oct 31 23:00:00 +0000 2017,@sprintcare bill too high,5,",
    "5,sprintcare,False,Tue Oct 31 23:05:00 +0000 2017,@115713 Please DM us.,,4",
)


def people_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Team, User, Membership, ExternalIdentity, Conversation)}


def test_prepare_creates_a_team_per_company_and_a_member_per_handle(team):
    context = ImportContext(source="twcs", team=team)

    scope = prepare_twcs(parse_twcs(SMALL_FILE, context), context)

    sprintcare = Team.objects.get(parent=team, name="sprintcare")
    assert scope.writable_team_ids == scope.shop_team_ids == frozenset({team.pk, sprintcare.pk})
    assert scope.default_team_id is None
    identities = ExternalIdentity.objects.filter(source="twcs", team=sprintcare).select_related("user")
    assert {(i.external_ref, i.user.username, i.user.display_name) for i in identities} == {
        ("sprintcare/JK", "sprintcare.jk", "JK (sprintcare)"),
        ("sprintcare/unsigned", "sprintcare.team", "sprintcare team"),
    }
    for identity in identities:
        assert not identity.user.has_usable_password()
        assert Membership.objects.get(user=identity.user, team=sprintcare).role == Role.AGENT


def test_prepare_twice_creates_nothing_new(team):
    context = ImportContext(source="twcs", team=team)
    parsed = parse_twcs(SMALL_FILE, context)
    first_scope = prepare_twcs(parsed, context)
    counts = people_counts()

    second_scope = prepare_twcs(parsed, context)

    assert people_counts() == counts
    assert second_scope == first_scope


def test_prepare_keeps_a_handle_an_administrator_mapped_to_someone_else(team):
    context = ImportContext(source="twcs", team=team)
    parsed = parse_twcs(SMALL_FILE, context)
    prepare_twcs(parsed, context)
    identity = ExternalIdentity.objects.get(source="twcs", external_ref="sprintcare/JK")
    real_person = User.objects.create(username="jane.king")
    Membership.objects.create(user=real_person, team=identity.team, role=Role.AGENT)
    identity.user = real_person
    identity.save()

    prepare_twcs(parsed, context)

    assert ExternalIdentity.objects.get(source="twcs", external_ref="sprintcare/JK").user == real_person


def test_parsed_conversations_are_ingested_into_the_company_team_with_their_agent(team):
    context = ImportContext(source="twcs", team=team)
    parsed = parse_twcs(SMALL_FILE, context)

    result = conversations_ingest(items=[c.data for c in parsed.conversations], scope=prepare_twcs(parsed, context))

    assert (result.created, result.messages_added) == (2, 5)
    signed, unsigned = Conversation.objects.order_by("external_id")
    assert (signed.team.name, signed.team.parent, signed.agent.username) == ("sprintcare", team, "sprintcare.jk")
    assert unsigned.agent.username == "sprintcare.team"


def reference_tweets_and_roots(raw: str) -> tuple[list[str], set[str]]:
    """A plain, independent reading of a TWCS file: every tweet id, and the roots of the threads."""
    # Carriage returns only ever end lines or sit inside texts, so blanking them keeps the ids intact.
    reader = csv.DictReader(io.StringIO(raw.replace("\r", " ")))
    rows = [{key.strip(): value.strip() for key, value in row.items()} for row in reader]
    parent_of = {row["tweet_id"]: row["in_response_to_tweet_id"].removesuffix(".0") for row in rows}

    def root(tweet_id: str) -> str:
        while parent_of[tweet_id] in parent_of:
            tweet_id = parent_of[tweet_id]
        return tweet_id

    return [row["tweet_id"] for row in rows], {root(tweet_id) for tweet_id in parent_of}


@pytest.mark.parametrize("file_name", ["twcs_kaggle_sample.csv", "twcs_first5000_rows.csv"])
def test_the_real_files_import_every_tweet_once_and_a_second_import_changes_nothing(team, file_name):
    path = DATASETS / file_name
    if not path.exists():
        pytest.skip(f"{path} is absent: the public TWCS files live outside the repository (see its README).")
    with open(path, encoding="utf-8", newline="") as file:
        raw = file.read()
    tweet_ids, roots = reference_tweets_and_roots(raw)
    context = ImportContext(source="twcs", team=team)

    def import_file():
        parsed = parse_twcs(raw, context)
        assert parsed.problems == []
        scope = prepare_twcs(parsed, context)
        return parsed, conversations_ingest(items=[c.data for c in parsed.conversations], scope=scope)

    parsed, first = import_file()

    assert parsed.rows_total == len(tweet_ids)
    assert first.created == len(roots)
    assert set(Conversation.objects.filter(source="twcs").values_list("external_id", flat=True)) == roots
    stored_ids = list(Message.objects.filter(conversation__source="twcs").values_list("external_id", flat=True))
    assert sorted(stored_ids) == sorted(tweet_ids)
    assert len(set(stored_ids)) == len(stored_ids)
    memberships = set(Membership.objects.values_list("user_id", "team_id"))
    for conversation in Conversation.objects.select_related("team"):
        assert conversation.team.parent == team
        assert conversation.channel == f"twitter:@{conversation.team.name}"
        assert (conversation.agent_id, conversation.team_id) in memberships
    if "3399" in tweet_ids:
        assert "I just love the start of email" in Message.objects.get(external_id="3399").text

    counts = {**people_counts(), "messages": Message.objects.count()}
    _, second = import_file()

    assert (second.created, second.updated, second.unchanged) == (0, 0, len(roots))
    assert {**people_counts(), "messages": Message.objects.count()} == counts
