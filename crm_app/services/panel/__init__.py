"""The panel (the home page): each tile's figures for a reader, computed by the database.

Live: the reader's tasks, birthdays, orders and comments (today), the workload's tasks, leads and
orders, the pipeline — each a grouped read over an index. Summarized (refreshed by the panel_refresh
job, jobs/panel.py): new customers per local day before today, and the contactability figures; today's
new customers are counted live on top (counts.py).
"""

from crm_app.services.panel.contact import contact
from crm_app.services.panel.customers_tile import customers
from crm_app.services.panel.pipeline import pipeline
from crm_app.services.panel.refresh_jobs import request_refresh
from crm_app.services.panel.today_tile import org_today, today
from crm_app.services.panel.workload import workload

__all__ = ["contact", "customers", "org_today", "pipeline", "request_refresh", "today", "workload"]
