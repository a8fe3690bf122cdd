"""The desk's groups, by name. The groups and their permissions are created by data
migrations (orders 0003 and later, which spell the names as data); permissions decide what a
role may do, these names only say which group a user joins."""

STAFF_GROUP = "Porting staff"
MANAGER_GROUP = "Porting managers"
