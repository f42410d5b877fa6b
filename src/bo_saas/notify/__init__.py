"""Notifications: email now; in-app notifications and outbound tenant webhooks later."""
