"""The bases of every order action's form, and the forms of the actions both desks share
(simple-port classification, assign, comment, document upload).

Forms only parse and validate input; the services (orders.services.*) decide and write. An
action form is built for one order (`order=`). A form for a move carries a hidden
`expected_status`, so a stale page gets the lifecycle's "this order changed, reload" message
instead of acting twice; a form that edits the order's data also carries its `revision`.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from carriers.inputs import COMMENT_MAX
from orders.models import Comment, Document, PortOrder
from orders.roles import MANAGER_GROUP, STAFF_GROUP


class OrderForm(forms.Form):
    """The input of one action on one order."""

    def __init__(self, *args, order: PortOrder, **kwargs):
        self.order = order
        super().__init__(*args, **kwargs)


class StatusCheckedForm(OrderForm):
    """An order action's form that carries the status the page showed (hidden)."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, order: PortOrder, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_status", order.status)
        super().__init__(*args, order=order, **kwargs)

    @property
    def expected(self) -> str | None:
        return (self.cleaned_data.get("expected_status") or None) if self.is_bound else None


class ActionForm(StatusCheckedForm):
    """A form of the order page's action panel: prefixed by its action, rendered by crispy."""

    action = ""
    submit_label = "Save"
    submit_class = "btn-primary"
    confirm = ""

    def __init__(self, *args, order: PortOrder, **kwargs):
        kwargs.setdefault("prefix", self.action.replace("-", "_") or None)
        super().__init__(*args, order=order, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_action = reverse(
            "orders:order_action", kwargs={"pk": order.pk, "action": self.action}
        )
        self.helper.form_class = "vstack gap-1"
        if self.confirm:
            self.helper.attrs = {"data-confirm": self.confirm}
        self.helper.add_input(
            Submit("submit", self.submit_label, css_class=f"{self.submit_class} btn-sm")
        )


class RevisionMixin(forms.Form):
    """For the forms that edit the order's data: the hidden revision the page showed, so a
    save over someone else's newer save is refused instead of silently undoing it."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("revision", self.order.revision)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("revision") is None and "revision" not in self.errors:
            # A hidden field's own error would not show: say it for the whole form.
            self.add_error(
                None, "The page did not carry the order's revision: reload the page and try again."
            )
        return cleaned

    @property
    def seen_revision(self) -> int | None:
        return self.cleaned_data.get("revision") if self.is_bound else None


class SimplePortForm(RevisionMixin, ActionForm):
    action = "simple-port"
    submit_label = "Save the classification"
    classification = forms.ChoiceField(
        choices=[("derived", "As derived (R17)"), ("simple", "Simple"), ("not", "Not simple")]
    )
    reason = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        override = self.order.simple_port_override
        self.initial.setdefault(
            "classification", "derived" if override is None else ("simple" if override else "not")
        )

    def value(self) -> bool | None:
        return {"derived": None, "simple": True, "not": False}[self.cleaned_data["classification"]]


class AssignForm(ActionForm):
    action = "assign"
    submit_label = "Assign"
    submit_class = "btn-outline-primary"
    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="(nobody)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__name__in=[STAFF_GROUP, MANAGER_GROUP]) | Q(is_superuser=True))
            .distinct()
            .order_by("username")
        )
        self.initial.setdefault("assignee", self.order.assignee_id)
        if self.order.assignee_id:
            self.fields["assignee"].help_text = (
                f"{self.order.assignee.get_username()} holds it: taking it from them or "
                "clearing it is a manager's call."
            )
        self.helper.add_input(
            Submit("to_me", "Assign to me", css_class="btn-outline-secondary btn-sm")
        )

    @property
    def to_me(self) -> bool:
        """The "Assign to me" button was pressed (its name is posted unprefixed)."""
        return "to_me" in self.data


class CommentForm(ActionForm):
    action = "comment"
    submit_label = "Add the comment"
    body = forms.CharField(
        label="Comment", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    visibility = forms.ChoiceField(
        choices=Comment.Visibility.choices, initial=Comment.Visibility.INTERNAL
    )
    source = forms.ChoiceField(
        label="From",
        choices=[
            (Comment.Source.STAFF, "The desk"),
            (Comment.Source.CUSTOMER, "The customer (recording their reply)"),
        ],
        initial=Comment.Source.STAFF,
    )


class DocumentForm(ActionForm):
    action = "document"
    submit_label = "Upload"
    kind = forms.ChoiceField(choices=Document.Kind.choices)
    file = forms.FileField(
        help_text="PDF, PNG, JPEG, TIFF, text or CSV; checked by content.",
        widget=forms.ClearableFileInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = reverse("orders:document_upload", kwargs={"pk": self.order.pk})
