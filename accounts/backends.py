from django.contrib.auth.backends import ModelBackend


class ModelBackendWithMunicipality(ModelBackend):
    """Loads the signed-in user with their municipality in one query on every request."""

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        try:
            user = User._default_manager.select_related("municipality").get(pk=user_id)
        except User.DoesNotExist:
            return None
        # Inactive users lose their session on the next request.
        return user if self.user_can_authenticate(user) else None
