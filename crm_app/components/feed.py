"""The profile's feed panel: kind filter, comment and task composer, rows of every kind, "load more".

A row shows whichever parts its describer filled (states/feed_items.py): change lines, a comment, a
task, a file. Times show relative, with the exact local time on hover.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import FunctionStringVar, Var

from crm_app.components.dialogs import confirm_dialog, focus_first_invalid
from crm_app.components.forms import select_field, text_field
from crm_app.services.feed import CATEGORIES
from crm_app.states.customer_feed import CustomerFeedState
from crm_app.states.feed_items import ChangeLine, FeedItem
from crm_app.states.profile_tabs import ProfileTabsState

S = CustomerFeedState
T = S.tr

# Ctrl+Enter (⌘+Enter on a Mac) submits the text area's form, in the browser: no event per keystroke.
# Reflex calls a function bound to on_key_down with (key, modifiers, event).
SUBMIT_ON_CTRL_ENTER = FunctionStringVar.create(
    "((key, mods, e) => { if (key === 'Enter' && (mods.ctrl_key || mods.meta_key)) "
    "{ e.preventDefault(); e.target.form && e.target.form.requestSubmit(); } })"
)

# Icons a describer may name (rx.icon needs its name when the page is compiled).
ICONS = ("user_plus", "pencil", "trash_2", "undo_2", "message_square", "list_checks", "paperclip",
         "send", "mail_plus", "mail_x", "building_2", "circle_dot", "merge", "split")


def _icon(name: Var) -> rx.Component:
    return rx.match(
        name,
        *[(icon, rx.icon(icon, size=16, aria_hidden="true")) for icon in ICONS],
        rx.icon("circle_dot", size=16, aria_hidden="true"),
    )


def when(text: Var, exact: Var, **props) -> rx.Component:
    """A relative time with the exact local time on hover."""
    return rx.el.time(text, title=exact, class_name="crm-when", **props)


def _change(line: ChangeLine) -> rx.Component:
    return rx.box(
        rx.text(line.label, as_="span", weight="medium"),
        rx.text(": ", as_="span"),
        rx.cond(
            line.text != "",
            rx.text(line.text, as_="span"),
            rx.fragment(
                rx.text(line.before, as_="span", class_name="crm-before"),
                rx.text(" → ", as_="span"),
                rx.text(line.after, as_="span", weight="bold"),
            ),
        ),
        class_name=rx.cond(line.highlight, "crm-change crm-change-highlight", "crm-change"),
    )


def _comment_editor(item: FeedItem) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text_area(name="body", default_value=item.body, aria_label=T["comment_edit"], rows="3",
                         width="100%", on_key_down=SUBMIT_ON_CTRL_ENTER, auto_focus=True),
            rx.cond(S.edit_error != "", rx.text(S.edit_error, color_scheme="red", size="2", role="alert")),
            rx.hstack(
                rx.button(T["cancel"], type="button", variant="soft", color_scheme="gray",
                          on_click=S.cancel_edit),
                rx.button(T["save"], type="submit"),
                spacing="2", justify="end", width="100%",
            ),
            spacing="2", width="100%",
        ),
        on_submit=S.save_edit,
        width="100%",
    )


def _comment(item: FeedItem) -> rx.Component:
    return rx.cond(
        S.editing_id == item.ref_id,
        _comment_editor(item),
        rx.vstack(
            rx.text(item.body, white_space="pre-wrap", size="2", class_name="crm-comment"),
            rx.hstack(
                rx.cond(item.edited, rx.text(T["comment_edited"], size="1", color_scheme="gray")),
                rx.spacer(),
                rx.cond(
                    item.can_edit,
                    rx.hstack(
                        rx.icon_button(rx.icon("pencil", size=14), size="1", variant="ghost",
                                       aria_label=T["comment_edit"], on_click=S.start_edit(item.ref_id)),
                        rx.icon_button(rx.icon("trash_2", size=14), size="1", variant="ghost",
                                       color_scheme="red", aria_label=T["comment_delete"],
                                       on_click=S.ask_delete_comment(item.ref_id)),
                        spacing="3",
                    ),
                ),
                width="100%", align="center",
            ),
            spacing="1", width="100%",
        ),
    )


def task_line(item: Var, on_done) -> rx.Component:
    """A task: done checkbox with its title, due time (red when overdue), assignee. Shared with /tasks."""
    return rx.hstack(
        rx.checkbox(
            item.task_title,
            checked=item.task_done,
            on_change=on_done,
            class_name=rx.cond(item.task_done, "crm-task-done", ""),
        ),
        rx.cond(item.task_overdue, rx.badge(T["task_overdue"], color_scheme="red")),
        rx.cond(
            item.task_due != "",
            rx.text(
                when(T["task_due"].to(str).replace("{when}", item.task_due.to(str)), item.task_due_exact),
                size="2",
                color_scheme=rx.cond(item.task_overdue, "red", "gray"),
            ),
        ),
        rx.cond(item.task_assignee != "",
                rx.badge(rx.icon("user", size=12, aria_hidden="true"), item.task_assignee, variant="soft")),
        spacing="2", wrap="wrap", align="center",
        class_name=rx.cond(item.task_overdue, "crm-task crm-task-overdue", "crm-task"),
    )


def _file(item: FeedItem) -> rx.Component:
    name = item.file_name.to(str)
    return rx.hstack(
        rx.cond(
            item.thumb_url != "",
            rx.link(
                rx.image(src=item.thumb_url, alt=T["feed_file_thumbnail"].to(str).replace("{name}", name),
                         class_name="crm-thumb", loading="lazy"),
                href=item.file_url,
                is_external=True,
            ),
        ),
        rx.vstack(
            rx.link(name, href=item.file_url, is_external=True, class_name="crm-value",
                    aria_label=T["feed_file_download"].to(str).replace("{name}", name)),
            rx.text(item.file_size, size="1", color_scheme="gray"),
            spacing="0",
        ),
        spacing="3", align="center",
    )


def feed_row(item: FeedItem) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.box(_icon(item.icon), class_name="crm-feed-icon"),
            rx.vstack(
                rx.hstack(
                    rx.text(rx.text(item.author, as_="span", weight="bold"), " ", item.summary, size="2"),
                    rx.spacer(),
                    rx.text(when(item.when, item.when_exact), size="1", color_scheme="gray"),
                    width="100%", wrap="wrap", spacing="2",
                ),
                rx.cond(item.note != "", rx.text(item.note, size="1", color_scheme="amber")),
                rx.foreach(item.changes, _change),
                rx.cond(item.kind == "comment", _comment(item)),
                rx.cond(item.task_title != "",
                        task_line(item, lambda done: S.set_task_done(item.ref_id, done))),
                rx.cond(item.file_name != "", _file(item)),
                rx.cond(item.link != "", rx.link(item.link_label, href=item.link, size="2",
                                                 class_name="crm-feed-link")),
                spacing="1", width="100%", min_width="0",
            ),
            spacing="3", width="100%", align="start",
        ),
        class_name="crm-feed-item",
        data_kind=item.kind,
    )


def _filter() -> rx.Component:
    return rx.hstack(
        rx.el.label(T["feed_filter"], html_for="feed-filter", class_name="crm-label"),
        rx.el.select(
            rx.el.option(T["feed_all"], value=""),
            *[rx.el.option(T[f"feed_category_{c}"], value=c) for c in CATEGORIES],
            id="feed-filter", value=S.category, on_change=S.set_category, class_name="crm-select",
        ),
        align="center", spacing="2",
    )


def _comment_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text_area(name="body", id="feed-comment", placeholder=T["comment_placeholder"],
                         aria_label=T["comment"], rows="3", width="100%",
                         on_key_down=SUBMIT_ON_CTRL_ENTER,
                         aria_invalid=(S.comment_error != "").to_string(),
                         aria_describedby=rx.cond(S.comment_error != "", "feed-comment-error", None)),
            rx.cond(S.comment_error != "",
                    rx.text(S.comment_error, id="feed-comment-error", color_scheme="red", size="2",
                            role="alert")),
            focus_first_invalid(S.refusals),
            rx.hstack(rx.button(T["comment_post"], type="submit"), justify="end", width="100%"),
            spacing="2", width="100%",
        ),
        on_submit=S.add_comment,
        key=S.comment_generation,
        width="100%",
    )


def _task_form() -> rx.Component:
    errors = S.task_errors
    return rx.form(
        rx.vstack(
            text_field(T["task_title"], "title", errors, form_id="task", max_length=200),
            rx.grid(
                text_field(T["task_due_date"], "due_date", errors, form_id="task", type="date"),
                text_field(T["task_due_time"], "due_time", errors, form_id="task", type="time"),
                columns="2", spacing="2", width="100%",
            ),
            select_field(T["task_assignee"], "assignee_id", S.assignees, errors, form_id="task",
                         default_value=S.me),
            rx.hstack(rx.button(T["task_create"], type="submit"), justify="end", width="100%"),
            focus_first_invalid(S.refusals),
            spacing="2", width="100%",
        ),
        on_submit=S.create_task,
        key=S.task_generation.to_string() + "-" + S.me,
        width="100%",
    )


def _composer() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(T["comment"], value="comment"),
            rx.tabs.trigger(T["task"], value="task"),
        ),
        rx.tabs.content(rx.box(_comment_form(), padding_top="0.75em"), value="comment"),
        rx.tabs.content(rx.box(_task_form(), padding_top="0.75em"), value="task"),
        # Held in state: the phone's action bar opens the comment box or the task form.
        value=ProfileTabsState.composer,
        on_change=ProfileTabsState.set_composer,
        width="100%",
    )


def feed_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(T["feed_title"], size="4", as_="h2"),
                rx.spacer(),
                _filter(),
                width="100%", align="center", wrap="wrap",
            ),
            _composer(),
            rx.cond(S.trimmed, rx.button(T["feed_back_to_newest"], variant="soft", on_click=S.refresh)),
            rx.cond(
                S.loaded & (S.items.length() == 0),
                rx.text(T["feed_empty"], color_scheme="gray", size="2"),
            ),
            rx.el.ol(rx.foreach(S.items, feed_row), class_name="crm-feed", aria_label=T["feed_title"]),
            rx.cond(
                S.next_before != 0,
                rx.button(T["feed_load_more"], variant="soft", on_click=S.load_more, width="100%"),
            ),
            confirm_dialog(
                S.confirm_comment_id != 0, T["confirm_delete_comment"], S.delete_comment,
                S.cancel_delete_comment,
            ),
            spacing="3", width="100%",
        ),
        width="100%",
        class_name="crm-feed-panel",
    )

