"""The notifications engine's public interface (docs/engine.md): other apps' actions call `notify`;
an app whose list a page shows live registers its version with `watch` (issue 13).

```python
notify(recipients, template, context, *, obj=None, link="", channels=("inbox", "email"))
present("inbox", "email", "sms")  # those of the channels that exist here (texts: where a gateway is set)
watch(name, version)  # version(user) → something small that changes when the list would
```
"""

from kefu.engine.notifications.actions import notify
from kefu.engine.notifications.channels import Channel, present, register
from kefu.engine.notifications.live import watch

__all__ = ["Channel", "notify", "present", "register", "watch"]
