"""URL modules by audience, each mounted in config/urls.py: ``apply`` (/tramites/<homoclave>/solicitar/), ``mine``
(/mi-expediente/solicitudes/), ``tracking`` (/seguimiento/), ``files`` (/archivos/), ``backoffice`` (/oficina/).
"""
