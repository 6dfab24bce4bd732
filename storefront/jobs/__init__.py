"""The job worker: delivers what requests left in the outbox (emails), outside any request.

`flask jobs worker` runs it in a loop; `flask jobs run-once` makes one pass (for cron).
"""
