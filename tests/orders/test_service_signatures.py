"""How services are called, the same way in every module: the person acting is `by`, and the
end user's fields travel as one `EndUser` (carriers.end_user), never as eight arguments."""

import ast
from pathlib import Path

import pytest

from carriers.end_user import END_USER_FIELDS

ROOT = Path(__file__).resolve().parents[2]
SERVICE_MODULES = sorted(
    [
        *(ROOT / "orders" / "services").rglob("*.py"),
        ROOT / "carriers" / "services.py",
        ROOT / "carriers" / "protection.py",
    ]
)
# Other names the acting person went by before they were made one.
OTHER_ACTOR_NAMES = {"user", "actor", "created_by", "raised_by", "author", "performed_by"}
# Services whose `user` is whom the work is for, not someone acting.
FOR_A_USER = {"orders/services/digest.py:manager_digest_queue"}


def _public_functions():
    for path in SERVICE_MODULES:
        tree = ast.parse(path.read_text())
        for node in tree.body:
            # `may_*` predicates ask about a person; they do not act.
            if isinstance(node, ast.FunctionDef) and not node.name.startswith(("_", "may_")):
                args = node.args
                names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
                yield f"{path.relative_to(ROOT)}:{node.name}", names


@pytest.mark.pure
def test_every_service_names_the_person_acting_by():
    wrong = {
        where: sorted(OTHER_ACTOR_NAMES & set(names))
        for where, names in _public_functions()
        if OTHER_ACTOR_NAMES & set(names) and where not in FOR_A_USER
    }
    assert wrong == {}


@pytest.mark.pure
def test_no_service_takes_the_end_users_fields_one_by_one():
    spelled_out = {
        where: sorted(set(END_USER_FIELDS) & set(names))
        for where, names in _public_functions()
        if set(END_USER_FIELDS) & set(names)
    }
    assert spelled_out == {}
