"""The pages of Denuncia: the reporter's (``reporter``) and the investigators' back office (``investigators``)."""
