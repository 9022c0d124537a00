"""The notifications engine's public interface (docs/engine.md): other apps' actions call `notify`.

```python
notify(recipients, template, context, *, obj=None, link="", channels=("inbox", "email"))
```
"""

from kefu.engine.notifications.actions import notify
from kefu.engine.notifications.channels import Channel, register

__all__ = ["Channel", "notify", "register"]
