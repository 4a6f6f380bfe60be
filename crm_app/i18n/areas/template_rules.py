"""What a message template may not do (crm_app/domain/template_grammar.py), and its size and time limits.

Every message gets ``line`` and ``detail`` as parameters, so literal braces are doubled.
"""

EN = {
    "template_too_long": "The template is too long: the maximum is {detail} characters.",
    "template_output_too_long": "The resulting message would be too long: the maximum is {detail} "
                                "characters.",
    "template_too_slow": "The template took too long to prepare and was stopped. Simplify it.",
    "template_too_nested": "The template has too many levels inside each other ({{% if %}}, brackets). "
                           "Simplify it.",
    "template_too_complex": "The template is too complex to prepare (levels or memory). Simplify it.",
    "template_no_loop": "Loops ({{% for %}}) are not allowed in a template (line {line}).",
    "template_no_call": "Function calls (“{detail}(…)”) are not allowed in a template (line {line}).",
    "template_no_operator": "Operations (“{detail}”) are not allowed in a template (line {line}): "
                            "it only shows data.",
    "template_no_attribute": "A template cannot reach into parts of a value (“{detail}”) (line {line}).",
    "template_no_tag": "The tag {{% {detail} %}} is not allowed (line {line}): only {{% if %}}, {{% elif %}} "
                       "and {{% else %}}.",
    "template_no_filter": "The filter “{detail}” is not allowed (line {line}). Available filters: "
                          "capitalize, default, format_money, lower, title, trim, truncate, upper.",
    "template_filter_arguments": "The values of the filter “{detail}” must be fixed: quoted text or a number "
                                 "(line {line}).",
    "template_no_expression": "“{detail}” is not allowed in a template (line {line}): only data, filters, "
                              "{{% if %}} and comparisons.",
}
